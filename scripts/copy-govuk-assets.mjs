// Copy GOV.UK Frontend's JavaScript and images (not its fonts) into static/govuk/.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const source = "node_modules/govuk-frontend/dist/govuk";
const target = "static/govuk";

mkdirSync(target, { recursive: true });
cpSync(`${source}/govuk-frontend.min.js`, `${target}/govuk-frontend.min.js`);
rmSync(`${target}/assets`, { recursive: true, force: true });
cpSync(`${source}/assets/images`, `${target}/assets/images`, { recursive: true });
cpSync(`${source}/assets/manifest.json`, `${target}/assets/manifest.json`);
