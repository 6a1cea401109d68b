// Writes each product's generated module, or with --check fails when one on disk differs from
// what the script would write now (shared by vendor-crds.js and vendor-upstream.js).
const fs = require('fs');
const path = require('path');

function writeOrCheck(products, render, script) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const product of products) {
    const text = render(product);
    if (check) {
      if (!fs.existsSync(product.out) || fs.readFileSync(product.out, 'utf8') !== text) {
        console.error(`${product.out} is stale: run node scripts/${script}`);
        stale = true;
      }
    } else {
      fs.mkdirSync(path.dirname(product.out), { recursive: true });
      fs.writeFileSync(product.out, text);
    }
  }
  if (stale) process.exit(1);
}

module.exports = { writeOrCheck };
