import { describe, expect, it } from 'vitest';
import { complementary } from '../../src/workflow/expressions.js';

describe('complementary', () => {
  it('knows a comparison and its opposite, and a term and its negation', () => {
    expect(complementary("${{ github.event.inputs.version == '' }}", "${{ github.event.inputs.version != '' }}")).toBe(
      true,
    );
    expect(complementary('inputs.dry_run', '!inputs.dry_run')).toBe(true);
    expect(complementary("inputs.env == 'prod'", "!(inputs.env == 'prod')")).toBe(true);
    expect(complementary("(github.ref == 'refs/heads/main')", "github.ref != 'refs/heads/main'")).toBe(true);
  });

  it('claims nothing it cannot prove', () => {
    // `!` binds tighter than `==`: this compares `!inputs.env` with 'prod'.
    expect(complementary("inputs.env == 'prod'", "!inputs.env == 'prod'")).toBe(false);
    expect(complementary("inputs.env == 'prod' && inputs.go", "inputs.env != 'prod' && inputs.go")).toBe(false);
    expect(complementary("inputs.env == 'prod'", "inputs.env != 'dev'")).toBe(false);
    expect(complementary("inputs.env == 'prod'", '')).toBe(false);
  });
});
