// Writes expected-gpt2.json: the ids that the gpt-3-encoder 1.1.4 JavaScript encoder (the reference GPT-2 BPE)
// gives for each text in sample-texts.json. Run from this folder after `npm install gpt-3-encoder@1.1.4`:
//   node gpt2-expected.js > ../expected-gpt2.json
const { encode } = require('gpt-3-encoder');
const texts = require('../sample-texts.json');
console.log(JSON.stringify(texts.map(t => encode(t))));
