// `hashline demo`. The demo's code is imported only when it runs.
import type { Command } from 'commander';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'build a small chain with data records, tamper with it, watch verification catch it and what re-mining costs; then let three copies reach consensus',
    )
    .action(async () => {
      const { runDemo } = await import('./demo.js');
      await runDemo();
    });
}
