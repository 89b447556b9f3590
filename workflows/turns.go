package workflows

import "go.temporal.io/sdk/workflow"

// versionHandlersInTurn names the change that made the update handlers of a
// report and of a task take turns (Temporal's "safe message handlers"): an
// update sent while another is being recorded, or in the same workflow task,
// waits for it, then is checked again against the state it left (an accept
// then a return: the return is refused because the report is accepted).
// Before it, the validators refused such an update as busy, and the handlers
// never overlapped; executions whose first handler ran before the change
// keep that behaviour for the rest of their run.
const versionHandlersInTurn = "handlers-in-turn"

// turns serialises a workflow's update handlers. Validators do not wait
// (they must not block): they check the state as it is when the update
// arrives, and each handler checks again once its turn comes.
type turns struct {
	mu workflow.Mutex
}

func newTurns(ctx workflow.Context) *turns { return &turns{mu: workflow.NewMutex(ctx)} }

// take starts an update handler. With the change it waits for the handlers
// before it, then runs check against the state they left: on an error the
// turn is given back and the update fails with that error. release ends the
// turn. Without the change (inTurn false) it does nothing: the workflow
// marks itself busy as before, and its validators refuse meanwhile.
func (t *turns) take(ctx workflow.Context, check func() error) (release func(), inTurn bool, err error) {
	if workflow.GetVersion(ctx, versionHandlersInTurn, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return func() {}, false, nil
	}
	if err := t.mu.Lock(ctx); err != nil {
		return nil, true, err
	}
	if err := check(); err != nil {
		t.mu.Unlock()
		return nil, true, err
	}
	return t.mu.Unlock, true, nil
}

// held is true while a handler has its turn.
func (t *turns) held() bool { return t.mu.IsLocked() }
