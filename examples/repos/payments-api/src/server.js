'use strict';

const http = require('node:http');
const { validatePayment } = require('./payments');

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (req.method === 'POST' && req.url === '/payments') {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      let problems;
      try {
        problems = validatePayment(JSON.parse(body));
      } catch {
        problems = ['the body is not JSON'];
      }
      res
        .writeHead(problems.length ? 400 : 202, {
          'content-type': 'application/json',
        })
        .end(
          JSON.stringify(problems.length ? { problems } : { accepted: true }),
        );
    });
    return;
  }
  res.writeHead(404).end();
});

server.listen(Number(process.env.PORT ?? 8080));
