/**
 * Writes resources/templates/scoring-rules-template.xlsx (the 汝州-shaped
 * preset) and sign-in-sheet-template.xlsx with the app's own writers:
 *   npx tsx tests/helpers/makeScoringTemplates.ts resources/templates
 * tests/integration/scoring.test.ts checks the committed copy still matches the preset.
 */
import path from 'node:path';
import { writeSignInTemplateFile } from '../../electron/core/activities/signIn.js';
import { presetTable, writeTableFile } from '../../electron/core/scoring/rulesExcel.js';

const dir = path.resolve(process.argv[2] ?? 'resources/templates');
const table = presetTable('first-further-cap', '2025');
await writeTableFile(path.join(dir, 'scoring-rules-template.xlsx'), { ...table, name: '2025年度人大代表履职积分规则' }, '（填写单位名称）');
await writeSignInTemplateFile(path.join(dir, 'sign-in-sheet-template.xlsx'), 'township');
console.log(`templates written to ${dir}`);
