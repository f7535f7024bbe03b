import { beforeAll } from 'vitest';
import { initShellParser } from '../src/shell-parser/parser.js';

// Scripts are parsed synchronously once tree-sitter is loaded, as the CLI does before linting.
beforeAll(() => initShellParser());
