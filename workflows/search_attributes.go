package workflows

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"cascade/activities"
)

// Search attributes of Cascade's workflows (defined in activities, which
// sets them on the workflows it starts): every workflow of a plan carries
// PlanID, every workflow about one unit UnitID.
var (
	PlanIDAttribute = activities.PlanIDAttribute
	UnitIDAttribute = activities.UnitIDAttribute
)

// SearchAttributes are the custom search attributes a namespace must have
// before Cascade starts a workflow on it, by name and type. The embedded
// server registers them at start (EnsureSearchAttributes); on a cluster,
// register the same (README: "Moving a province to a Temporal cluster").
var SearchAttributes = map[string]enumspb.IndexedValueType{
	PlanIDAttribute.GetName(): enumspb.INDEXED_VALUE_TYPE_INT,
	UnitIDAttribute.GetName(): enumspb.INDEXED_VALUE_TYPE_INT,
}

// EnsureSearchAttributes adds to namespace the SearchAttributes it lacks,
// then waits (up to a minute) until the server lists them. It changes
// nothing when they are there already.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	op := c.OperatorService()
	missing := func() (map[string]enumspb.IndexedValueType, error) {
		resp, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
		if err != nil {
			return nil, err
		}
		out := map[string]enumspb.IndexedValueType{}
		for name, typ := range SearchAttributes {
			have, ok := resp.GetCustomAttributes()[name]
			if !ok {
				out[name] = typ
			} else if have != typ {
				return nil, fmt.Errorf("search attribute %s is registered as %s, Cascade needs %s", name, have, typ)
			}
		}
		return out, nil
	}
	want, err := missing()
	if err != nil {
		return fmt.Errorf("list search attributes of namespace %s: %w", namespace, err)
	}
	if len(want) == 0 {
		return nil
	}
	_, err = op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: want})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		names := slices.Sorted(maps.Keys(want))
		return fmt.Errorf("register search attributes %s (Int) on namespace %s: %w; register them on the cluster "+
			"(temporal operator search-attribute create --namespace %s --name %s --type Int)",
			strings.Join(names, ", "), namespace, err, namespace, names[0])
	}
	// The server lists them at once, but takes them in queries and starts
	// only once its namespace cache has them (a second on the embedded
	// server, ten by default on a cluster): a query naming them says when.
	probe := func() error {
		for name := range SearchAttributes {
			_, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: namespace, Query: name + " = 0"})
			if err != nil {
				return err
			}
		}
		return nil
	}
	deadline := time.Now().Add(time.Minute)
	for {
		want, err = missing()
		if err == nil && len(want) == 0 {
			if err = probe(); err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("search attributes of namespace %s not listed a minute after they were added: %v", namespace, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Attributes are the search attributes of a workflow of plan planID about
// unit unitID; 0 leaves an attribute unset.
func Attributes(planID, unitID int64) temporal.SearchAttributes {
	return activities.WorkflowAttributes(planID, unitID)
}

// ReusePolicy is the ID reuse policy of a unit's workflows (reports,
// tasks) and of a plan's end: an ID that completed is never started
// again, one that failed, was terminated, cancelled or timed out may be.
const ReusePolicy = activities.ReusePolicy

// PlanReusePolicy is the ID reuse policy of a plan's own workflow: started
// only when PostgreSQL says the plan is issued (at its issue, or by the
// reconciler), it may run again whatever ended the previous run.
const PlanReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
