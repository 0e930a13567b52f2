// An OpenID provider for the sign-in tests: the npm package `oidc-provider` (OpenID
// certified), configured as the national identity providers are described: the citizen's
// claims under their Vietnamese names, the level of assurance as `acr` and `loAs`.
//
// Started by the tests with node; reads its setting from the environment:
//   OIDC_PROVIDER_MODULE  the package's lib/index.js
//   OIDC_CLIENTS          JSON list of clients (client_id, client_secret, redirect_uris, ...)
//   OIDC_ACCOUNTS         JSON object: login name -> claims (and `acr`)
//   OIDC_ROUTES           optional JSON object overriding the endpoints' paths
//   OIDC_CLOCK_SKEW       optional seconds added to the provider's clock (negative: behind)
// and prints `listening <port>` once it accepts requests on 127.0.0.1.
//
// The sign-in screen is a form asking for the login name; an unknown name is refused there.
// Consent is taken as given for the registered clients (first-party, as a province's own).

import * as http from 'node:http';
import * as crypto from 'node:crypto';

const skew = Number(process.env.OIDC_CLOCK_SKEW || 0) * 1000;
if (skew) {
  const realNow = Date.now;
  Date.now = () => realNow() + skew;
}

const { default: Provider } = await import(process.env.OIDC_PROVIDER_MODULE);
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const routes = JSON.parse(process.env.OIDC_ROUTES || '{}');

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = (key, kid) => ({ ...key.privateKey.export({ format: 'jwk' }), kid });

const claimNames = [
  'HoVaTen', 'SoDinhDanh', 'SoCMND', 'NgayThangNamSinh', 'SoDienThoai', 'ThuDienTu',
  'LoaiTaiKhoan', 'TechID', 'loAs', 'MaSoThue', 'logoutUri',
];

const server = http.createServer();
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk(rsa, 'rsa-1'), jwk(ec, 'ec-1')] },
    routes,
    acrValues: ['LoA1', 'LoA2'],
    claims: { openid: ['sub', ...claimNames] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (ctx, id) => {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => {
          const { acr, ...claims } = account;
          return { sub: id, ...claims };
        },
      };
    },
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid');
      grant.addOIDCClaims(['sub', ...claimNames]);
      await grant.save();
      return grant;
    },
    pkce: { required: () => true },
  });
  provider.proxy = false;
  const callback = provider.callback();

  const form = (uid, error) => `<!doctype html><title>Đăng nhập</title>
<form method="post" action="/interaction/${uid}">
${error ? `<p class="error">${error}</p>` : ''}
<input name="login"><button>Đăng nhập</button></form>`;

  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url.split('?')[0]);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(form(details.uid));
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const login = new URLSearchParams(body).get('login') || '';
      const account = accounts[login];
      if (!account) {
        res.statusCode = 401;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(form(details.uid, 'Tài khoản không tồn tại'));
      }
      return provider.interactionFinished(req, res, {
        login: { accountId: login, acr: account.acr || 'LoA1' },
      }, { mergeWithLastSubmission: false });
    } catch (e) {
      res.statusCode = 400;
      return res.end(String(e && e.message));
    }
  });
  process.stdout.write(`listening ${port}\n`);
});
