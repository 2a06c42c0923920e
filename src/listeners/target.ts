/** Which verification a command or a workflow step names: Cashfree's verification id, or `ref:<reference_id>`. */
export type Target = { verificationId: string } | { referenceId: string };

const VERIFICATION_ID = /^[A-Za-z0-9._-]{1,50}$/;
/** Cashfree reference ids are integers; 15 digits keep them exact in a JavaScript number. */
const REFERENCE = /^ref:(\d{1,15})$/i;

export function parseTarget(word: string): Target | undefined {
  const reference = REFERENCE.exec(word);
  if (reference?.[1] !== undefined) return { referenceId: reference[1] };
  return VERIFICATION_ID.test(word) ? { verificationId: word } : undefined;
}

export function describeTarget(target: Target): string {
  return 'verificationId' in target ? target.verificationId : `ref:${target.referenceId}`;
}
