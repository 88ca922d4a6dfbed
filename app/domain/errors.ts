/**
 * Input the rules cannot work with: a payload field out of range, an amount in no known
 * currency, an order that would earn more than allowed. The edge answers it with 422 and
 * its reasons; nothing is written.
 */
export class InvalidInputError extends Error {
  override name = "InvalidInputError";
  constructor(
    message: string,
    readonly issues: string[] = [message],
  ) {
    super(message);
  }
}
