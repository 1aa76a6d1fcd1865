Attribute VB_Name = "ComplaintRecord"
' The buttons of the complaint record card. Each button runs one function of
' addin.xl.macros through xlwings (the xlwings module of this workbook): the
' work is done in Python, so these procedures stay one line long.
' VBA source is stored in code page 1252: build any Chinese text with ChrW().
Option Explicit

' Validate: check every record and list the findings.
Sub ValidateRecords()
    RunPython "import addin.xl.macros as m; m.validate()"
End Sub

' Assign numbers: give new complaints their case numbers.
Sub AssignNumbers()
    RunPython "import addin.xl.macros as m; m.assign_numbers()"
End Sub

' Classify: set category and severity from the rules.
Sub ClassifyComplaints()
    RunPython "import addin.xl.macros as m; m.classify()"
End Sub

' Deadlines & colours: work out due dates and colour the rows by status.
Sub DeadlinesAndColours()
    RunPython "import addin.xl.macros as m; m.deadlines_and_colours()"
End Sub

' Run all: every step above, in order.
Sub RunAll()
    RunPython "import addin.xl.macros as m; m.run_all()"
End Sub

' Monthly report: the month's figures on a report sheet.
Sub MonthlyReport()
    RunPython "import addin.xl.macros as m; m.monthly_report()"
End Sub

' Case summary: the printable card of the selected case.
Sub CaseSummary()
    RunPython "import addin.xl.macros as m; m.case_summary()"
End Sub
