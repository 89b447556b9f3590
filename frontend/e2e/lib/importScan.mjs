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

  // Every state of the job the screen polled, to check the pages it reported
  // even when a quiet machine reads the one-page scan between two polls.
  const polled = [];
  page.on('response', async (res) => {
    if (/\/api\/v1\/(import-jobs\/\d+|plans\/import)$/.test(new URL(res.url()).pathname) && res.ok()) {
      const body = await res.json().catch(() => ({}));
      polled.push(body.job ?? body);
    }
  });

  await step('drops the PDF scan and sends it', async () => {
    await page.getByLabel('Tệp kế hoạch').setInputFiles(scan);
    await page.getByRole('button', { name: 'Tải lên và đọc' }).click();
  });

  await step('watches the job read the scan page by page', async () => {
    const progress = page.getByTestId('import-progress');
    await visible(progress, 'the progress card', 20_000);
    await text(progress, 'scan-45-KH-TDTN.pdf', 'the file name');
    // The pages line while the job runs; a fast read may finish first and
    // open the draft (or the re-import warning) straight away.
    const pages = page.getByTestId('import-pages');
    const over = page.getByTestId('reimport-warning').or(page.getByText(/Đã đọc văn bản: \d+ chỉ tiêu, \d+ nhiệm vụ/));
    await visible(pages.or(over), 'the pages read (or the finished draft)', 120_000);
    if (await pages.isVisible().catch(() => false)) {
      await text(pages, /Trang \d\/1/, 'pages read of the scan');
    }
    await visible(over, 'the finished draft or the re-import warning', 120_000);
    await equal(() => polled.some((j) => j.pages_total === 1 && j.pages_done === 1), true, 'the job reported page 1 of 1 read');
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
