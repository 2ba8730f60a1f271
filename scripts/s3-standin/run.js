// Starts s3rver on 127.0.0.1:<port> with its data in <dir> and the named buckets created
// (scripts/s3-standin.sh). s3rver refuses a request whose SigV4 signature does not match.
const S3rver = require('@20minutes/s3rver');
const [dir, port, ...buckets] = process.argv.slice(2);
new S3rver({
  directory: dir, address: '127.0.0.1', port: Number(port), silent: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
}).run().then(({ address, port: p }) => console.info('s3rver listening on %s:%d', address, p));
