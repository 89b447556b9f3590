// A leader drops a PDF scan of a real-looking plan (Kế hoạch 45-KH/TĐTN-PTTN,
// one page printed and scanned) on the import screen, watches the job read
// it, and reviews the draft: its targets, its tasks with their deadlines and
// its distribution list, the source text beside them. Shared by the desktop
// and the phone scenarios.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn } from './session.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const scan = join(repoRoot, 'importer', 'testdata', 'scan-45-KH-TDTN.pdf');

export async function importScan({ page, step, visible, text, equal, fail }, { phone }) {
  if (!existsSync(scan)) fail(`${scan} not found`);

  await step('leader opens the import screen', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    await page.goto('/plans/import');
    await visible(page.getByRole('heading', { level: 1, name: 'Nhập kế hoạch từ văn bản' }), 'the import heading');
  });

  await step('drops the PDF scan and sends it', async () => {
    await page.getByLabel('Tệp kế hoạch').setInputFiles(scan);
    await page.getByRole('button', { name: 'Tải lên và đọc' }).click();
  });

  await step('watches the job read the scan page by page', async () => {
    const progress = page.getByTestId('import-progress');
    await visible(progress, 'the progress card', 20_000);
    await text(progress, 'scan-45-KH-TDTN.pdf', 'the file name');
    await visible(page.getByTestId('import-pages'), 'the pages read', 20_000);
    await text(page.getByTestId('import-pages'), /Trang \d\/1/, 'pages read of the scan');
  });

  await step('the draft opens (or, imported before, the screen offers it)', async () => {
    const warning = page.getByTestId('reimport-warning');
    const notice = page.getByText(/Đã đọc văn bản: \d+ chỉ tiêu, \d+ nhiệm vụ/);
    await visible(warning.or(notice), 'the draft or the re-import warning', 120_000);
    if (await warning.isVisible()) {
      await page.getByRole('link', { name: 'Mở bản nháp vừa nhập' }).click();
    }
    await visible(notice, 'the import notice', 20_000);
    await text(page.locator('h1'), 'Triển khai phong trào', 'the title read from the scan');
  });

  await step('reviews targets, tasks with deadlines and the distribution list', async () => {
    const targets = page.getByTestId('review-targets').getByTestId('review-item');
    await equal(async () => (await targets.count()) >= 4, true, 'at least four targets');
    await visible(targets.filter({ hasText: '3.500' }), 'ít nhất 3.500 đoàn viên');
    await visible(targets.filter({ hasText: '20.000' }), 'tối thiểu 20.000 cây xanh');
    await visible(page.getByText('31/01/2024').first(), 'the deadline of "Xuân tình nguyện"');
    const recipients = page.getByTestId('review-recipients').locator('li');
    await equal(() => recipients.count(), 5, 'the five recipients');
    await text(recipients.first(), 'Trung ương Đoàn', 'the first recipient');
    if (!phone) {
      await visible(page.getByTestId('source-text'), 'the source text beside the items');
      await targets.filter({ hasText: '3.500' }).first().getByRole('button').click();
      await text(page.locator('[data-testid="source-text"] mark.is-active'), '3.500', 'the target highlighted in the scan text');
    }
  });
}
