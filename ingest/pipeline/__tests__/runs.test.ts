import { withoutSecrets } from '../runs';

describe('withoutSecrets', () => {
  it('drops keys that name secrets at any depth and keeps everything else', () => {
    expect(
      withoutSecrets({
        query: 'iphone',
        apiKey: 'k',
        KEEPA_API_KEY: 'k',
        auth: { clientSecret: 's', accessToken: 't', user: 'me' },
        pages: [{ password: 'p', n: 1 }],
        limit: 200,
      }),
    ).toEqual({ query: 'iphone', auth: { user: 'me' }, pages: [{ n: 1 }], limit: 200 });
  });
});
