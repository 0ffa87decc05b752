// A filter that cannot be read or compiled, with the 1-based column of the fault: the CLI prints
// the message, the filter bar underlines the column.

export class FilterError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}
