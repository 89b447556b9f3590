package plans_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
	"cascade/importer"
	"cascade/plans"
)

func fixture(t *testing.T) plans.Plan {
	t.Helper()
	data, err := os.ReadFile("../importer/testdata/plan-321-KH-BTV.txt")
	require.NoError(t, err)
	d, err := importer.Import("plan-321-KH-BTV.txt", data)
	require.NoError(t, err)
	return plans.FromDraft(d)
}

func f(v float64) *float64 { return &v }

func problems(t *testing.T, err error) map[string]string {
	t.Helper()
	var ps plans.Problems
	require.True(t, errors.As(err, &ps), "%v", err)
	m := map[string]string{}
	for _, p := range ps {
		require.NotEmpty(t, p.Message)
		require.NotEmpty(t, p.MessageEn)
		m[p.Field] = p.MessageEn
	}
	return m
}

func TestFromDraft_KeepsTheFixturesItemsAndTheirSources(t *testing.T) {
	p := fixture(t)
	require.Equal(t, "321/KH-BTV", p.Code)
	require.Equal(t, 2020, p.TermStartYear)
	require.Equal(t, 2025, p.TermEndYear)
	require.Equal(t, []string{"08-CTr/TU"}, p.Implements)
	require.Len(t, p.Targets, 25)
	require.Len(t, p.TaskGroups, 8)
	require.Len(t, p.Recipients, 9)
	// Issued 8/6/2021: annual reports 2021–2024 due 15/11, the mid-term
	// review half-way through the 2020–2025 term and the final one in 2025.
	nov15 := func(y int) calendar.Date { return calendar.NewDate(y, time.November, 15) }
	require.Equal(t, []plans.Cycle{
		{Kind: "annual", Year: 2021, DueOn: nov15(2021)},
		{Kind: "annual", Year: 2022, DueOn: nov15(2022)},
		{Kind: "midterm", Year: 2023, DueOn: calendar.NewDate(2023, time.June, 30)},
		{Kind: "annual", Year: 2023, DueOn: nov15(2023)},
		{Kind: "annual", Year: 2024, DueOn: nov15(2024)},
		{Kind: "final", Year: 2025, DueOn: nov15(2025)},
	}, p.Cycles)
	runes := []rune(p.SourceText)
	for _, tg := range p.Targets {
		require.NotNil(t, tg.Source)
		read := string(runes[tg.Source.Start:tg.Source.End])
		require.Contains(t, read, strings.Fields(tg.Text)[0], "the span shows where the target was read")
	}
}

func TestValidateForIssue_AnImportedDraftListsEveryMissingPieceAtOnce(t *testing.T) {
	p := fixture(t)
	p.IssuerUnitID = 1
	got := problems(t, p.ValidateForIssue())
	require.Contains(t, got, "unit_ids")
	require.Contains(t, got, "task_groups[0].tasks[0].lead_unit_ids")
	require.Contains(t, got, "task_groups[0].tasks[0].due_on", "the first task has no date or recurrence")
	require.Greater(t, len(got), 30, "every task without a lead unit is listed, not just the first")
}

func TestValidateForIssue_AllocationsOfACountMustAddUp(t *testing.T) {
	p := plans.Plan{Title: "K", IssuerUnitID: 1, TermStartYear: 2026, TermEndYear: 2030, UnitIDs: []int64{7, 8},
		Cycles: plans.DefaultCycles(2026, 2030),
		Targets: []plans.Target{
			{Text: "Hộ thoát nghèo", Value: f(2700), Unit: "hộ", Direction: "at_least", Measure: "count",
				Allocations: []plans.Allocation{{UnitID: 7, Value: 1500}, {UnitID: 8, Value: 1000}}},
			{Text: "Suy dinh dưỡng", Value: f(8.5), Unit: "%", Direction: "at_most", Measure: "percent",
				Allocations: []plans.Allocation{{UnitID: 7, Value: 9}, {UnitID: 9, Value: 8}}},
			{Text: "Tỷ lệ", Value: f(120), Unit: "%", Direction: "at_least", Measure: "percent"},
		},
		TaskGroups: []plans.TaskGroup{{Heading: "1.", Tasks: []plans.Task{{Text: "Tuyên truyền", LeadUnitIDs: []int64{7}, Recurrence: "weekly-ish"}}}},
	}
	got := problems(t, p.ValidateForIssue())
	require.Equal(t, map[string]string{
		"targets[0].allocations":             "the allocations add up to 2500, not 2700",
		"targets[1].allocations[1].unit_id":  "the unit does not take part in the plan",
		"targets[2].value":                   "a percentage cannot exceed 100",
		"task_groups[0].tasks[0].recurrence": "unknown recurrence",
	}, got)

	p.Targets[0].Allocations[1].Value = 1200
	p.Targets[1].Allocations = p.Targets[1].Allocations[:1]
	p.Targets[2].Value = f(95)
	p.TaskGroups[0].Tasks[0].Recurrence = "annual"
	require.NoError(t, p.ValidateForIssue())
}

func TestCascadeTo_GivesTheDistrictItsAllocationAndItsTasks(t *testing.T) {
	parent := plans.Plan{ID: 5, Code: "321/KH-BTV", Title: "K", TermStartYear: 2026, TermEndYear: 2030, Cycles: plans.DefaultCycles(2026, 2030),
		Targets: []plans.Target{
			{ID: 1, Text: "Hộ thoát nghèo", Value: f(2700), Unit: "hộ", Direction: "at_least", Measure: "count",
				Allocations: []plans.Allocation{{UnitID: 7, Value: 300}, {UnitID: 8, Value: 2400}}},
			{ID: 2, Text: "Suy dinh dưỡng", Value: f(8.5), Unit: "%", Direction: "at_most", Measure: "percent"},
			{ID: 3, Text: "Doanh nghiệp nữ", Value: f(100), Unit: "doanh nghiệp", Direction: "at_least", Measure: "count"},
		},
		TaskGroups: []plans.TaskGroup{
			{Heading: "1. Tuyên truyền", Tasks: []plans.Task{{Text: "Quán triệt", LeadUnitIDs: []int64{7}, Recurrence: "annual"}, {Text: "Khác", LeadUnitIDs: []int64{8}}}},
			{Heading: "2. Kinh tế", Tasks: []plans.Task{{Text: "Hỗ trợ", LeadUnitIDs: []int64{8}, SupportUnitIDs: []int64{9}}}},
		},
	}
	child := plans.CascadeTo(parent, 7, "Kế hoạch thực hiện của Nha Trang")
	require.Equal(t, int64(5), *child.ParentID)
	require.Equal(t, int64(7), child.IssuerUnitID)
	require.Equal(t, []string{"321/KH-BTV"}, child.Implements)
	require.Equal(t, 300.0, *child.Targets[0].Value)
	require.Equal(t, 8.5, *child.Targets[1].Value, "a percentage target applies as it is")
	require.Nil(t, child.Targets[2].Value)
	require.True(t, child.Targets[2].NeedsReview, "a count not allocated is for the unit to set")
	require.Len(t, child.TaskGroups, 1)
	require.Equal(t, "Quán triệt", child.TaskGroups[0].Tasks[0].Text)
	require.Len(t, child.Cycles, 6, "five yearly reports and the mid-term review")
}
