Attribute VB_Name = "XlbudgetRibbon"
Option Explicit
' 预算公开 ribbon tab: every button calls OnRibbon with its own id, and Python does the work.
' The ids (calc, check, clear_marks, report, pdf, about) are dispatched by
' xlbudget.workbook.buttons.dispatch; RunPython comes from the xlwings module.

Public Sub OnRibbon(control As IRibbonControl)
    RunPython "import xlbudget.workbook.buttons as b; b.dispatch('" & control.Id & "')"
End Sub
