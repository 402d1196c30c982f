"""Talks to the Javaformers kernel over the Jupyter protocol with jupyter_client, as a notebook front end does,
and prints what it got as one JSON object for KernelProtocolTest to check. The kernelspec comes from JUPYTER_PATH."""
import json
import tempfile
import time

from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name="javaformers", startup_timeout=120)
result = {}


def execute(code, timeout=120):
    """Runs code; returns the execute reply's content and the IOPub messages of this request, each with the time
    it arrived and, last, the time the kernel went idle."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            outputs.append({"type": "idle", "at": time.time()})
            break
        outputs.append({"type": msg["msg_type"], "content": msg["content"], "at": time.time()})
    reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


try:
    result["kernel_info"] = kc.kernel_info(reply=True, timeout=60)["content"]["language_info"]["name"]
    execute("int x = 41;")
    _, outs = execute("x + 1")
    result["value"] = [o["content"]["data"]["text/plain"] for o in outs if o["type"] == "execute_result"]

    reply = kc.complete("AutoTok", 7, reply=True, timeout=60)["content"]
    result["complete"] = reply["matches"]
    reply = kc.inspect("AutoTokenizer.fromPretrained", 20, reply=True, timeout=60)["content"]
    result["inspect_found"] = reply["found"]
    result["inspect_text"] = reply.get("data", {}).get("text/plain", "")
    kc.is_complete("int y = (")
    result["is_complete_open"] = kc.get_shell_msg(timeout=60)["content"]["status"]
    kc.is_complete("int y = 1;")
    result["is_complete_done"] = kc.get_shell_msg(timeout=60)["content"]["status"]

    def shown_error(outs):
        """The traceback a notebook shows: the IOPub error message's."""
        return "\n".join(line for o in outs if o["type"] == "error" for line in o["content"]["traceback"])

    reply, outs = execute('throw new IllegalStateException("bad state", new RuntimeException("root cause"));')
    result["exception"] = {"status": reply["status"], "traceback": shown_error(outs)}
    reply, outs = execute('int a = 1;\nString s = 42;')
    result["compile_error"] = {"status": reply["status"], "traceback": shown_error(outs)}

    # An endless loop, stopped by the interrupt button (interrupt_mode "message": an interrupt_request).
    msg_id = kc.execute("while (true) { Math.sqrt(2); }")
    time.sleep(2)
    started = time.time()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=60)
    reply = reply["content"]
    result["interrupt"] = {"status": reply["status"], "seconds": round(time.time() - started, 1)}
    _, outs = execute("x * 2")
    result["after_interrupt"] = [o["content"]["data"]["text/plain"] for o in outs if o["type"] == "execute_result"]

    _, outs = execute("%%time\nint t = 1 + 1;")
    result["time"] = [o["content"]["text"] for o in outs if o["type"] == "stream"]
    with tempfile.NamedTemporaryFile("w", suffix=".jsh", delete=False) as f:
        f.write("int loaded = 7;\n")
    _, outs = execute("%load " + f.name + "\nloaded * 6")
    result["load"] = [o["content"]["data"]["text/plain"] for o in outs if o["type"] == "execute_result"]
    reply, outs = execute("%maven org.apache.commons:commons-text:1.12.0\n"
                          "org.apache.commons.text.WordUtils.capitalize(\"hello world\")", timeout=600)
    result["maven"] = [o["content"]["data"]["text/plain"] for o in outs if o["type"] == "execute_result"] \
        or [str(reply.get("evalue"))]

    # Generation streamed into the cell: a tiny random GPT-2 and a word-level tokenizer of its 100 tokens; the
    # streamer's consumer waits a little per piece so that arrival times show whether pieces come as produced.
    execute('''
var dir = Files.createTempDirectory("tiny-gpt2");
Trainer.setSeed(3);
try (var m = AutoModelForCausalLM.fromConfig(AutoConfig.forModel("gpt2", Map.of("vocab_size", 100, "n_embd", 16,
        "n_layer", 1, "n_head", 2, "n_positions", 64, "eos_token_id", 99)))) { m.save(dir); }
var vocab = new StringBuilder();
for (int i = 0; i < 100; i++) vocab.append(i == 0 ? "" : ", ").append("\\"w" + i + "\\": " + i);
Files.writeString(dir.resolve("tokenizer.json"), "{\\"version\\": \\"1.0\\", \\"added_tokens\\": [], "
        + "\\"pre_tokenizer\\": {\\"type\\": \\"Whitespace\\"}, \\"model\\": {\\"type\\": \\"WordLevel\\", "
        + "\\"vocab\\": {" + vocab + "}, \\"unk_token\\": \\"w0\\"}}");
var lm = (GenerationMixin) AutoModelForCausalLM.fromPretrained(dir.toString());
var tok = AutoTokenizer.fromPretrained(dir.toString());
''')
    _, outs = execute('''
var streamer = new TextStreamer(tok, false, text -> {
    System.out.print(text);
    System.out.flush();
    try { Thread.sleep(300); } catch (InterruptedException e) { throw new RuntimeException(e); }
});
tok.decode(lm.generate(tok.encode("w5 w17 w33"), Map.of("max_new_tokens", 5), streamer)[0], true)
''')
    idle = outs[-1]["at"]
    result["streamed"] = {
        "pieces": [o["content"]["text"] for o in outs if o["type"] == "stream"],
        "seconds_before_idle": [round(idle - o["at"], 2) for o in outs if o["type"] == "stream"],
        "value": [o["content"]["data"]["text/plain"] for o in outs if o["type"] == "execute_result"],
    }

    # the README's troubleshooting table, notebook side: what a cell with a mistake shows
    result["mistakes"] = {}
    for name, code in [("load", "%load /no/such/cells.jsh"), ("classpath", "%classpath /no/such/lib.jar"),
                       ("maven", "%maven commons-text"), ("unknown_magic", "%nosuchmagic 1"),
                       ("groovy", "%%groovy\nprintln 1\nmodel 'sentence-transformers/all-MiniLM-L6-v2' < hedas 2 >"),
                       ("java", 'AutoConfig.forModel("bert", java.util.Map.of("num_haeds", 2))')]:
        reply, outs = execute(code)
        result["mistakes"][name] = {"status": reply["status"], "ename": reply.get("ename", ""),
                                    "evalue": reply.get("evalue", ""), "shown": shown_error(outs)}

    _, outs = execute('System.out.println("printed");\ndisplay(Charts.class.getSimpleName());')
    result["stream"] = [o["content"]["text"] for o in outs if o["type"] == "stream"]
    result["display"] = [o["content"]["data"].get("text/plain") for o in outs if o["type"] == "display_data"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

print(json.dumps(result))
