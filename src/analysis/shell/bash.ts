import type { Node } from 'web-tree-sitter';
import {
  pipe,
  type Assignment,
  type Command,
  type Redirect,
  type Script,
  type ScriptSource,
  type VarRef,
  type Word,
} from './script.js';

const DECLARATION_EXPORTS = new Set(['export']);

/** Builds the script model from a tree-sitter-bash tree. */
export function walkBash(root: Node, src: ScriptSource, out: Script): void {
  new BashWalker(src, out).statements(root, false);
}

class BashWalker {
  /** How many backquoted substitutions enclose the node being walked. */
  private backquotes = 0;

  constructor(
    private readonly src: ScriptSource,
    private readonly out: Script,
  ) {}

  /** Visits statements; returns the commands found directly (for pipelines and redirects). */
  statements(node: Node, inSubstitution: boolean): Command[] {
    switch (node.type) {
      case 'command':
        return [this.command(node, inSubstitution)];
      case 'declaration_command':
        this.declaration(node);
        return [];
      case 'variable_assignment':
        this.assignment(node, false);
        return [];
      case 'redirected_statement':
        return this.redirected(node, inSubstitution);
      case 'pipeline':
        return this.pipeline(node, inSubstitution);
      case 'test_command':
        this.condition(node);
        return [];
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.out.functions.add(name);
        const found: Command[] = [];
        for (const child of node.namedChildren) if (child) found.push(...this.statements(child, inSubstitution));
        return found;
      }
      case 'command_substitution':
        return this.substituted(node);
      default: {
        const found: Command[] = [];
        for (const child of node.namedChildren) if (child) found.push(...this.statements(child, inSubstitution));
        return found;
      }
    }
  }

  /** The commands of a `$( … )` or backquoted substitution. */
  substituted(node: Node): Command[] {
    const backquoted = node.text.startsWith('`');
    if (backquoted) this.backquotes++;
    try {
      return node.namedChildren.flatMap((c) => (c ? this.statements(c, true) : []));
    } finally {
      if (backquoted) this.backquotes--;
    }
  }

  command(node: Node, inSubstitution: boolean): Command {
    const cmd: Command = {
      name: '',
      args: [],
      prefixAssignments: [],
      redirects: [],
      inSubstitution,
      ...(this.backquotes > 0 ? { backquoted: true } : {}),
      start: node.startIndex,
      end: node.endIndex,
      range: this.src.range(node.startIndex, node.endIndex),
    };
    // Pushed first so that commands inside its words come after it in source order ties.
    this.out.commands.push(cmd);
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case 'variable_assignment':
          cmd.prefixAssignments.push(this.assignmentOf(child, false));
          break;
        case 'command_name':
          cmd.nameWord = this.word(child);
          cmd.name = cmd.nameWord.text;
          break;
        case 'file_redirect':
        case 'herestring_redirect':
        case 'heredoc_redirect':
          this.addRedirect(cmd, child);
          break;
        default:
          cmd.args.push(this.word(child));
      }
    }
    return cmd;
  }

  declaration(node: Node): void {
    const keyword = node.child(0)?.text ?? '';
    const flags = node.namedChildren.filter((c) => c?.type === 'word').map((c) => c!.text);
    const exported = DECLARATION_EXPORTS.has(keyword) || flags.some((f) => /^-\w*x/.test(f));
    for (const child of node.namedChildren) {
      if (child?.type === 'variable_assignment') this.assignment(child, exported);
      else if (child?.type === 'variable_name' && exported) {
        // `export NAME` marks an existing variable for export.
        this.out.assignments.push({
          name: child.text,
          exported: true,
          start: child.startIndex,
          range: this.src.range(child.startIndex, child.endIndex),
        });
      }
    }
  }

  assignment(node: Node, exported: boolean): void {
    this.out.assignments.push(this.assignmentOf(node, exported));
  }

  assignmentOf(node: Node, exported: boolean): Assignment {
    const name = node.childForFieldName('name')?.text ?? node.namedChild(0)?.text ?? '';
    const valueNode = node.childForFieldName('value');
    return {
      name,
      value: valueNode ? this.word(valueNode) : undefined,
      exported,
      start: node.startIndex,
      range: this.src.range(node.startIndex, node.endIndex),
    };
  }

  redirected(node: Node, inSubstitution: boolean): Command[] {
    const body = node.childForFieldName('body');
    const commands = body ? this.statements(body, inSubstitution) : [];
    for (const child of node.namedChildren) {
      if (!child || child === body || child.id === body?.id) continue;
      if (!child.type.endsWith('_redirect')) continue;
      const input =
        child.type !== 'file_redirect' ||
        /^</.test(child.child(0)?.text ?? '') ||
        child.text.trimStart().startsWith('<');
      // A group (`{ …; } >> f`, a loop, a subshell) sends every command's output there; a pipeline only its last.
      const group = body && body.type !== 'pipeline' && body.type !== 'command';
      const targets = input
        ? commands.slice(0, 1)
        : group
          ? commands.filter((c) => !c.pipeTo && !c.inSubstitution)
          : commands.slice(-1);
      for (const target of targets) {
        this.addRedirect(target, child);
        if (group && !input) target.groupStart = node.startIndex;
      }
      // `cat <<EOF | tool`: tree-sitter puts the rest of the pipeline inside the heredoc redirect.
      for (const inner of child.namedChildren) {
        if (inner?.type !== 'pipeline' && inner?.type !== 'command') continue;
        const rest = this.statements(inner, inSubstitution);
        if (rest[0] && commands.length > 0) {
          pipe(commands[commands.length - 1], rest[0]);
          rest[0].stdin = 'pipe';
        }
        commands.push(...rest);
      }
    }
    return commands;
  }

  pipeline(node: Node, inSubstitution: boolean): Command[] {
    const all: Command[] = [];
    let previous: Command | undefined;
    for (const child of node.namedChildren) {
      if (!child) continue;
      const commands = this.statements(child, inSubstitution);
      if (commands.length === 0) continue;
      if (previous) {
        pipe(previous, commands[0]);
        commands[0].stdin ??= 'pipe';
      }
      previous = commands[commands.length - 1];
      all.push(...commands);
    }
    return all;
  }

  addRedirect(cmd: Command, node: Node): void {
    const redirect: Redirect = { op: '' };
    if (node.type === 'heredoc_redirect') {
      redirect.op = '<<';
      cmd.stdin = 'heredoc';
      const body = node.namedChildren.find((c) => c?.type === 'heredoc_body');
      if (body) {
        cmd.stdinText = body.text;
        redirect.target = this.word(body);
      }
      cmd.redirects.push(redirect);
      // `cat <<EOF > file` and `cat <<EOF >> "$GITHUB_ENV"`: tree-sitter nests the output redirect in the heredoc's.
      for (const inner of node.namedChildren) if (inner?.type === 'file_redirect') this.addRedirect(cmd, inner);
      return;
    } else if (node.type === 'herestring_redirect') {
      redirect.op = '<<<';
      cmd.stdin = 'herestring';
      const value = node.namedChildren.find((c) => c !== null);
      if (value) {
        redirect.target = this.word(value);
        cmd.stdinText = value.text;
      }
    } else {
      const destination =
        node.childForFieldName('destination') ??
        node.namedChildren.filter((c) => c?.type !== 'file_descriptor').at(-1) ??
        null;
      const op = node.children.find((c) => c && !c.isNamed)?.text ?? '>';
      redirect.op = op;
      if (destination) redirect.target = this.word(destination);
      if (op.startsWith('<') && !op.startsWith('<<')) cmd.stdin = 'file';
    }
    cmd.redirects.push(redirect);
  }

  condition(node: Node): void {
    const tests: { op: string; vars: VarRef[] }[] = [];
    const visit = (n: Node) => {
      if (n.type === 'unary_expression') {
        const op = n.namedChildren.find((c) => c?.type === 'test_operator')?.text ?? n.child(0)?.text ?? '';
        tests.push({ op, vars: this.word(n).vars });
        return;
      }
      for (const c of n.namedChildren) if (c) visit(c);
    };
    visit(node);
    this.out.conditions.push({ tests, start: node.startIndex, range: this.src.range(node.startIndex, node.endIndex) });
  }

  /** A word with the variables it expands and the commands substituted into it. */
  word(node: Node): Word {
    const vars: VarRef[] = [];
    const substitutions: Command[] = [];
    const fileSubstitutions: Command[] = [];
    const visit = (n: Node) => {
      switch (n.type) {
        case 'simple_expansion':
        case 'expansion': {
          const v = this.varRef(n);
          if (v) vars.push(v);
          for (const c of n.namedChildren) if (c && c.type !== 'variable_name') visit(c);
          return;
        }
        case 'command_substitution':
          substitutions.push(...this.substituted(n));
          return;
        case 'process_substitution':
          // `<(cmd)` expands to a path such as /dev/fd/63, not to what cmd prints.
          for (const c of n.namedChildren) if (c) fileSubstitutions.push(...this.statements(c, true));
          return;
        default:
          for (const c of n.namedChildren) if (c) visit(c);
      }
    };
    visit(node);
    return this.src.word(node.startIndex, node.endIndex, vars, substitutions, fileSubstitutions);
  }

  varRef(n: Node): VarRef | undefined {
    const nameNode = n.namedChildren.find((c) => c?.type === 'variable_name' || c?.type === 'special_variable_name');
    if (!nameNode) return undefined;
    const children = n.children.filter((c) => c !== null);
    const indirect = children.some((c) => c.text === '!' && c.startIndex < nameNode.startIndex);
    const length = children.some((c) => c.text === '#' && c.startIndex < nameNode.startIndex);
    const operator = children.find((c) => !c.isNamed && c.startIndex > nameNode.startIndex && c.text !== '}')?.text;
    return {
      name: nameNode.text,
      start: n.startIndex,
      range: this.src.range(n.startIndex, n.endIndex),
      ...(operator ? { operator } : {}),
      ...(indirect ? { indirect } : {}),
      ...(length ? { length } : {}),
    };
  }
}
