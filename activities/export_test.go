package activities

// ReportStartForTest is the argument StartUnitReports gives a UnitReport.
func ReportStartForTest(planID, cycleID, unitID int64, due, title string) any {
	return unitReportStart{PlanID: planID, CycleID: cycleID, UnitID: unitID, DueOn: due, Title: title}
}
