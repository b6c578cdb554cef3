Attribute VB_Name = "xlwings_udfs"
' UDF wrappers in the shape xlwings' "Import Functions" writes for xlbudget.workbook.udfs,
' declared here so that the formulas work without "Trust access to the VBA project
' object model".  Importing the functions again replaces this module (same name).
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel

Function KMMC(code, Optional year)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        KMMC = XLPy.CallUDF("xlbudget.workbook.udfs", "KMMC", Array(code, year), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        KMMC = XLPy.CallUDF("xlbudget.workbook.udfs", "KMMC", Array(code, year))
        Exit Function
    #End If
failed:
    KMMC = Err.Description
End Function

Function WANYUAN(yuan)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        WANYUAN = XLPy.CallUDF("xlbudget.workbook.udfs", "WANYUAN", Array(yuan), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        WANYUAN = XLPy.CallUDF("xlbudget.workbook.udfs", "WANYUAN", Array(yuan))
        Exit Function
    #End If
failed:
    WANYUAN = Err.Description
End Function
