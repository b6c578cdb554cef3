Attribute VB_Name = "XlbudgetRibbon"
Option Explicit
' 预算公开 ribbon tab: every button calls OnRibbon with its own id, and Python does the work.
' The ids (calc, check, clear_marks, report, wordcheck, pdf, rollover, about) are dispatched by
' xlbudget.workbook.buttons.dispatch; RunPython comes from the xlwings module.

Public Sub OnRibbon(control As IRibbonControl)
    On Error GoTo failed
    RunPython "import xlbudget.workbook.buttons as b; b.dispatch('" & control.Id & "')"
    Exit Sub
failed:
    MsgBox "无法运行 Python：" & Err.Description & vbCrLf & vbCrLf & _
           "请确认已安装 Python 和 xlbudget（pip install xlbudget-版本-py3-none-any.whl，见“使用说明”四），" & _
           "或在“xlwings.conf”表的 Interpreter_Win 中填写 python.exe 的完整路径。详见“使用说明”。", _
           vbExclamation, "预算公开"
End Sub
