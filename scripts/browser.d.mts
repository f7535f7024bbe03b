// Types of scripts/browser.mjs, for the tests that import it.
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM: string;
export function chromiumMissing(): string | undefined;
export function launchChromium(): Promise<{ context: BrowserContext; requests: string[]; close(): Promise<void> }>;
export function mermaidSource(): string;
export function mermaidPage(context: BrowserContext): Promise<Page>;
export interface GanttTask {
  name: string;
  start: number;
  end: number;
  milestone: boolean;
  crit: boolean;
  section: string;
}
export function readGantts(
  page: Page,
  diagrams: string[],
): Promise<({ title: string; tasks: GanttTask[] } | { error: string })[]>;
export function renderDiagram(page: Page, id: string, text: string): Promise<string>;
export function mermaidBlocks(markdown: string): { file: string; job: string; text: string }[];
export function writtenGantt(text: string): {
  title: string;
  tasks: { name: string; milestone: boolean; crit: boolean; section: string }[];
};
export function ganttDifferences(
  text: string,
  read: { title: string; tasks: GanttTask[] } | { error: string },
): string[];
