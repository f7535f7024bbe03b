import { isScalar, visit, type Document, type Scalar } from 'yaml';

/**
 * GitHub's limit on a value holding a `${{ }}` expression: the whole value becomes one expression, and
 * past 21,000 characters GitHub refuses to load the workflow ("Exceeded max expression length 21000"),
 * so no job runs. The workflow schema does not check it.
 */
export const MAX_EXPRESSION_VALUE_LENGTH = 21_000;

/**
 * The values GitHub would refuse for their length, in document order, in a document parsed from
 * `textLength` characters.
 */
export function overlongExpressionValues(doc: Document, textLength: number): Scalar[] {
  const found: Scalar[] = [];
  // A scalar's value is never longer than its source (escapes, folding and indentation only shorten it).
  if (textLength <= MAX_EXPRESSION_VALUE_LENGTH) return found;
  visit(doc, {
    Scalar(_, node) {
      if (
        isScalar(node) &&
        typeof node.value === 'string' &&
        node.value.length > MAX_EXPRESSION_VALUE_LENGTH &&
        node.value.includes('${{')
      )
        found.push(node);
    },
  });
  return found;
}
