// A count of work units one request may still spend. JSONPath evaluation and
// its regex matcher spend from it as they go, so a hostile path ends with an
// error after a bounded amount of work instead of freezing the event loop
// that every tenant shares.

/** Thrown when a request has used up its budget; the command layer answers it as an error reply. */
export class WorkBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`work limit of ${limit} steps exceeded`);
    this.name = "WorkBudgetExceeded";
  }
}

export class WorkBudget {
  /** A plain field, not a private one: spend() runs once per visited value and must stay cheap. */
  private remaining: number;

  constructor(readonly limit: number) {
    this.remaining = limit;
  }

  /** Spends `units`; throws WorkBudgetExceeded once the budget is gone. */
  spend(units = 1): void {
    this.remaining -= units;
    if (this.remaining < 0) throw new WorkBudgetExceeded(this.limit);
  }

  get spent(): number {
    return this.limit - this.remaining;
  }
}
