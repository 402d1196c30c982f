"""Chat templates rendered by Python's Jinja2 as transformers renders them, for ChatTemplateTest.

    /usr/bin/python3 scripts/reference/chat_templates.py core/src/test/resources/chat

transformers (4.34 and later) compiles chat_template with ImmutableSandboxedEnvironment(trim_blocks=True,
lstrip_blocks=True) plus the loopcontrols extension, a tojson filter that is json.dumps(ensure_ascii=False, ...)
and a raise_exception global; the special tokens, messages and add_generation_prompt are the variables. 4.31 in
/tmp/hfref predates chat templates, so this script sets up that environment with Debian's python3-jinja2. The
templates have the forms published with ChatML (Qwen), Llama 2, Zephyr models and a tool-calling one.
Also writes tiny-llama-tokenizer/: a Llama-style tokenizer.json (Metaspace-like normalizer, BPE with
byte_fallback, ByteFallback/Fuse/Strip decoder) and tokenizer_config.json with the ChatML template.
"""
import json
import os
import sys

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

out = sys.argv[1]

TEMPLATES = {
    "chatml": "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
              "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
              "{% endif %}",
    "llama2": "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = "
              "messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}"
              "{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0)"
              " %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
              "{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + "
              "system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = "
              "message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + "
              "content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + "
              "' ' + eos_token }}{% endif %}{% endfor %}",
    "zephyr": "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content']"
              " + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + "
              "eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + "
              "eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n"
              "{% endif %}\n{% endfor %}",
    "tools": "{%- set ns = namespace(system=none, turns=0) %}\n"
             "{%- for message in messages %}\n"
             "    {%- if message.role == 'system' %}{% set ns.system = message.content %}{% endif %}\n"
             "{%- endfor %}\n"
             "{%- if tools is defined and tools %}\n"
             "<tools>{{ tools | tojson(indent=2) }}</tools>\n"
             "{%- endif %}\n"
             "{%- if ns.system %}[SYS] {{ ns.system.upper() }}\n{% endif %}\n"
             "{%- for message in (messages[1:] if messages[0].role == 'system' else messages) %}\n"
             "    {%- set ns.turns = ns.turns + 1 %}\n"
             "    {%- if message.content.startswith('/') %}\n"
             "[CMD {{ loop.index }}] {{ message.content[1:] | trim }}\n"
             "    {%- else %}\n"
             "[{{ message.role | upper }} {{ loop.index }}/{{ loop.length }}] {{ message.content.rstrip() }}\n"
             "    {%- endif %}\n"
             "    {%- if message.tool_calls is defined %} calls={{ message.tool_calls | tojson }}{% endif %}\n"
             "{%- endfor %}\n"
             "{%- if add_generation_prompt %}\n[ASSISTANT {{ ns.turns + 1 }}]{% endif %}",
}

CONVERSATIONS = {
    "plain": [{"role": "user", "content": "Hello, who are you?"},
              {"role": "assistant", "content": "  I am a small model.  "},
              {"role": "user", "content": "Tell me a joke — in français, s'il vous plaît."}],
    "system": [{"role": "system", "content": "You are terse."},
               {"role": "user", "content": "/reset  "},
               {"role": "user", "content": "Weather in \"Paris\"?\n"},
               {"role": "assistant", "content": "Sunny.",
                "tool_calls": [{"name": "weather", "arguments": {"city": "Paris", "days": 2}}]}],
}

TOOLS = [{"type": "function", "function": {"name": "weather", "description": "Forecast for a city",
                                            "parameters": {"city": {"type": "string"}, "days": {"type": "integer"}}}}]


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}

cases = []
for name, text in TEMPLATES.items():
    template = env.from_string(text)
    for conv_name, messages in CONVERSATIONS.items():
        for gen in (False, True):
            variables = dict(special, messages=messages, add_generation_prompt=gen)
            if name == "tools":
                variables["tools"] = TOOLS
            case = {"template": name, "conversation": conv_name, "add_generation_prompt": gen,
                    "tools": name == "tools"}
            try:
                case["rendered"] = template.render(**variables)
            except jinja2.exceptions.TemplateError as e:
                case["error"] = str(e)
            cases.append(case)

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump({"jinja2": jinja2.__version__, "templates": TEMPLATES, "conversations": CONVERSATIONS,
               "tools": TOOLS, "special_tokens": special, "cases": cases}, f, indent=1, ensure_ascii=False)
print(len(cases), "cases;", sum("error" in c for c in cases), "raise")

# A Llama-style tokenizer: SentencePiece's conventions in tokenizer.json form, a small vocabulary.
specials = ["<unk>", "<s>", "</s>"]
vocab = {t: i for i, t in enumerate(specials)}
for b in range(256):
    vocab["<0x%02X>" % b] = len(vocab)
pieces = ["▁"] + list("abcdefghijklmnopqrstuvwxyz,.!?'") + ["<", ">", "|", "_", "\n"]
merges = []
for word in ["▁hello", "▁world", "▁the", "▁cat", "▁im", "im_start", "im_end"]:
    prev = word[0] if word[0] != "▁" else "▁"
    for ch in word[1:]:
        if ch not in pieces:
            pieces.append(ch)
        merged = prev + ch
        if (prev, ch) not in merges:
            merges.append((prev, ch))
        if merged not in pieces:
            pieces.append(merged)
        prev = merged
for p in pieces:
    vocab.setdefault(p, len(vocab))
added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
          "special": True} for i, t in enumerate(specials)]
for t in ["<|im_start|>", "<|im_end|>"]:
    vocab[t] = len(vocab)
    added.append({"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True})
tokenizer = {
    "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
    "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"},
                                                       {"type": "Replace", "pattern": {"String": " "},
                                                        "content": "▁"}]},
    "pre_tokenizer": None,
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                       "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                       "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
    "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
                                                 {"type": "ByteFallback"}, {"type": "Fuse"},
                                                 {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
    "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "vocab": vocab,
              "merges": [a + " " + b for a, b in merges]},
}
config = {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
          "add_bos_token": True, "add_eos_token": False, "model_max_length": 2048, "legacy": False,
          "chat_template": TEMPLATES["chatml"]}
folder = os.path.join(out, "tiny-llama-tokenizer")
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, "tokenizer.json"), "w") as f:
    json.dump(tokenizer, f, indent=2, ensure_ascii=False)
with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
    json.dump(config, f, indent=2, ensure_ascii=False)
print(len(vocab), "tokens in", folder)
