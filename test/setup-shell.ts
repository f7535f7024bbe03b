import { beforeAll } from 'vitest';
import { initShellParser } from '../src/analysis/shell/parser.js';

// Scripts are parsed synchronously once tree-sitter is loaded, as the CLI does before linting.
beforeAll(() => initShellParser());
