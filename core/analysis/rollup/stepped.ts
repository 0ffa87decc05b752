// Computations over big tables written as generators that yield between steps, so that a caller
// with an event loop can give it a turn (prepareMemo, prepareRollup), and one without can run them
// straight through.

/** Runs a computation made of steps to its end at once. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
