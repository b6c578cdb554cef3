Attribute VB_Name = "XlbudgetSelfTest"
Option Explicit
' A Sub with no Python behind it: proves the generated VBA project loads and runs.
' It writes into the 设置 sheet (cell E1) and returns nothing.

Public Sub SelfTest()
    ThisWorkbook.Worksheets("设置").Range("E1").Value = "宏自检通过"
    ThisWorkbook.Worksheets("设置").Range("F1").Value = ThisWorkbook.Worksheets.Count
End Sub
