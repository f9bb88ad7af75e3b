/**
 * Starts the fake eBay and Keepa APIs for trying the adapters by hand, with no network:
 *   npm run fakes            # prints the environment to point the CLI at them
 * Ctrl-C stops both.
 */
import { FAKE_EBAY_CLIENT_ID, FAKE_EBAY_CLIENT_SECRET, fakeEbayItems, fakeEbaySoldItems, startFakeEbay } from './ebay';
import { FAKE_KEEPA_KEY, fakeKeepaProduct, startFakeKeepa } from './keepa';

async function main(): Promise<void> {
  const items = fakeEbayItems(500);
  const ebay = await startFakeEbay({ items, sold: fakeEbaySoldItems(items.slice(0, 100)) });
  const keepa = await startFakeKeepa({
    products: ['B000000001', 'B000000002', 'B000000003'].map((asin) => fakeKeepaProduct(asin)),
  });
  process.stdout.write(
    [
      `EBAY_BASE_URL=${ebay.url} EBAY_CLIENT_ID=${FAKE_EBAY_CLIENT_ID} EBAY_CLIENT_SECRET=${FAKE_EBAY_CLIENT_SECRET} \\`,
      `KEEPA_BASE_URL=${keepa.url} KEEPA_API_KEY=${FAKE_KEEPA_KEY}`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void Promise.all([ebay.close(), keepa.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
