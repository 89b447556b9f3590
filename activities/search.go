package activities

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
)

// The custom search attributes every workflow of a plan carries, so that a
// plan's workflows are found by a visibility query (ended together when the
// plan is cancelled or closes, compared with PostgreSQL by the reconciler)
// rather than by IDs listed from the database. workflows.SearchAttributes
// lists them for registration on a namespace.
var (
	// PlanIDAttribute is the plan a workflow belongs to.
	PlanIDAttribute = temporal.NewSearchAttributeKeyInt64("PlanID")
	// UnitIDAttribute is the unit a workflow is about (a report, a task).
	UnitIDAttribute = temporal.NewSearchAttributeKeyInt64("UnitID")
)

// WorkflowAttributes are the search attributes of a workflow of plan planID
// about unit unitID; 0 leaves an attribute unset.
func WorkflowAttributes(planID, unitID int64) temporal.SearchAttributes {
	var set []temporal.SearchAttributeUpdate
	if planID != 0 {
		set = append(set, PlanIDAttribute.ValueSet(planID))
	}
	if unitID != 0 {
		set = append(set, UnitIDAttribute.ValueSet(unitID))
	}
	return temporal.NewSearchAttributes(set...)
}

// PlanWorkflowsQuery is the visibility query for the running workflows of
// a plan: those that carry its PlanID, and those started before plans'
// workflows carried one, whose IDs all begin with plan/<id>/. A plan's own
// EndPlan is not one of them.
func PlanWorkflowsQuery(planID int64) string {
	return fmt.Sprintf("(PlanID = %d OR WorkflowId STARTS_WITH 'plan/%d/') AND ExecutionStatus = 'Running' AND WorkflowType != 'EndPlan'", planID, planID)
}
