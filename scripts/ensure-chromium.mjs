// Makes sure Debian's Chromium is installed for the real-browser tests.
// Browsers cannot be downloaded by npm here, so we use apt (as root) when it is missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CHROMIUM = process.env.QUANTSCOPE_CHROMIUM || '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);
const sudo = process.getuid && process.getuid() === 0 ? '' : 'sudo ';
console.log(`[quantscope] ${CHROMIUM} not found: installing Debian's chromium with apt-get`);
try {
  execSync(`${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq chromium`, { stdio: 'inherit', shell: '/bin/bash' });
} catch {
  console.error('[quantscope] could not install chromium with apt-get; install it (apt-get install chromium) and run the tests again');
  process.exit(1);
}
