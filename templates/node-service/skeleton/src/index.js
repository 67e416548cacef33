const http = require('node:http');

const port = Number(process.env.PORT ?? 8080);

http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200).end('ok');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: '${{ values.name }}' }));
  })
  .listen(port, () => console.log(`${{ values.name }} listening on ${port}`));
