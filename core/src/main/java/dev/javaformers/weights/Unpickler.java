package dev.javaformers.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader for PyTorch state dicts. It understands the opcodes {@code torch.save} emits (protocols 2 to
 * 4) and only the globals a state dict needs: {@code collections.OrderedDict}, {@code torch._utils._rebuild_*}
 * and the storage types. Anything else is refused with its name: nothing from the file is ever executed.
 */
final class Unpickler {

    /** The raw bytes of one storage, with the element type its class names. */
    record Storage(DType dtype, byte[] bytes) {}

    /** Fetches the bytes of storage {@code key} ({@code data/<key>} in the archive). */
    interface StorageLoader {
        byte[] load(String key);
    }

    private record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private static final Object MARK = new Object();
    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32,
            "ShortStorage", DType.I16, "CharStorage", DType.I8, "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);

    private final ByteBuffer in;
    private final String source;
    private final StorageLoader storages;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    Unpickler(byte[] pickle, String source, StorageLoader storages) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
        this.storages = storages;
    }

    Object load() {
        try {
            while (true) {
                int at = in.position();
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO
                    case 0x95 -> in.getLong(); // FRAME
                    case '.' -> {
                        return pop();
                    }
                    case '(' -> stack.add(MARK);
                    case '}' -> stack.add(TorchCheckpoint.newDict());
                    case ']' -> stack.add(new ArrayList<>());
                    case ')' -> stack.add(List.of());
                    case 'N' -> stack.add(null);
                    case 0x88 -> stack.add(Boolean.TRUE);
                    case 0x89 -> stack.add(Boolean.FALSE);
                    case 'K' -> stack.add((long) (in.get() & 0xff));
                    case 'M' -> stack.add((long) (in.getShort() & 0xffff));
                    case 'J' -> stack.add((long) in.getInt());
                    case 0x8a -> stack.add(long1(in.get() & 0xff));
                    case 'G' -> stack.add(ByteBuffer.wrap(bytes(8)).getDouble()); // big-endian
                    case 'X' -> stack.add(string(in.getInt()));
                    case 0x8c -> stack.add(string(in.get() & 0xff));
                    case 'T' -> stack.add(string(in.getInt()));
                    case 'U' -> stack.add(string(in.get() & 0xff));
                    case 'B' -> stack.add(bytes(in.getInt()));
                    case 'C' -> stack.add(bytes(in.get() & 0xff));
                    case 'c' -> stack.add(global(line(), line(), at));
                    case 0x93 -> { // STACK_GLOBAL
                        String name = (String) pop();
                        stack.add(global((String) pop(), name, at));
                    }
                    case 'q' -> memo.put((long) (in.get() & 0xff), peek());
                    case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
                    case 0x94 -> memo.put((long) memo.size(), peek());
                    case 'h' -> stack.add(memoGet(in.get() & 0xff, at));
                    case 'j' -> stack.add(memoGet(in.getInt() & 0xffffffffL, at));
                    case 't' -> stack.add(List.copyOf(popMark()));
                    case 0x85 -> stack.add(tupleOf(1));
                    case 0x86 -> stack.add(tupleOf(2));
                    case 0x87 -> stack.add(tupleOf(3));
                    case 'a' -> {
                        Object v = pop();
                        list(peek(), at).add(v);
                    }
                    case 'e' -> {
                        List<Object> items = popMark();
                        list(peek(), at).addAll(items);
                    }
                    case 's' -> {
                        Object v = pop();
                        Object k = pop();
                        dict(peek(), at).put(k, v);
                    }
                    case 'u' -> {
                        List<Object> items = popMark();
                        Map<Object, Object> d = dict(peek(), at);
                        for (int i = 0; i + 1 < items.size(); i += 2) {
                            d.put(items.get(i), items.get(i + 1));
                        }
                    }
                    case 'Q' -> stack.add(persistentLoad(pop(), at));
                    case 'R' -> {
                        Object args = pop();
                        stack.add(reduce(pop(), args, at));
                    }
                    case 'b' -> pop(); // BUILD: the state of an OrderedDict (_metadata) is not needed
                    default -> throw bad(String.format("unknown pickle opcode 0x%02x", op), at);
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw bad("the pickle ends in the middle of an instruction (truncated file?)", in.position());
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw bad("the pickle is not a well-formed state dict (" + e.getMessage() + ")", in.position());
        }
    }

    private Object global(String module, String name, int at) {
        Global g = new Global(module, name);
        boolean allowed = switch (module) {
            case "collections" -> name.equals("OrderedDict");
            case "torch._utils" -> name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_parameter");
            case "torch" -> STORAGE_TYPES.containsKey(name);
            default -> false;
        };
        if (!allowed) {
            throw bad("refusing pickle global " + g + ": only tensors and OrderedDicts may be in a weights file, "
                    + "and nothing in it is executed", at);
        }
        return g;
    }

    private Object reduce(Object callable, Object argsObject, int at) {
        if (!(callable instanceof Global g) || !(argsObject instanceof List<?> args)) {
            throw bad("REDUCE of " + describe(callable), at);
        }
        return switch (g.toString()) {
            case "collections.OrderedDict" -> TorchCheckpoint.newDict();
            case "torch._utils._rebuild_parameter" -> args.get(0);
            case "torch._utils._rebuild_tensor_v2" -> {
                if (!(args.get(0) instanceof Storage storage)) {
                    throw bad("_rebuild_tensor_v2 without a storage", at);
                }
                yield TorchCheckpoint.rebuild(storage, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)),
                        source);
            }
            default -> throw bad("cannot call " + g, at);
        };
    }

    /** {@code ('storage', torch.FloatStorage, key, location, numel)}: the bytes come from the archive. */
    private Object persistentLoad(Object pid, int at) {
        if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof Global type) || !STORAGE_TYPES.containsKey(type.name())) {
            throw bad("unknown persistent id " + describe(pid), at);
        }
        DType dtype = STORAGE_TYPES.get(type.name());
        byte[] bytes = storages.load(String.valueOf(t.get(2)));
        long numel = (Long) t.get(4);
        if (bytes.length != numel * dtype.bytes()) {
            throw bad("storage " + t.get(2) + " should hold " + numel + " " + dtype + " values (" + numel * dtype.bytes()
                    + " bytes) but has " + bytes.length + " bytes", at);
        }
        return new Storage(dtype, bytes);
    }

    private static long[] longs(Object tuple) {
        List<?> list = (List<?>) tuple;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) list.get(i);
        }
        return out;
    }

    private Object memoGet(long key, int at) {
        if (!memo.containsKey(key)) {
            throw bad("memo key " + key + " was never stored", at);
        }
        return memo.get(key);
    }

    private List<Object> tupleOf(int n) {
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return List.copyOf(items);
    }

    private List<Object> popMark() {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw new IndexOutOfBoundsException("no MARK on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, int at) {
        if (o instanceof ArrayList<?>) {
            return (List<Object>) o;
        }
        throw bad("APPEND to " + describe(o), at);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, int at) {
        if (o instanceof Map<?, ?>) {
            return (Map<Object, Object>) o;
        }
        throw bad("SETITEM on " + describe(o), at);
    }

    private Object pop() {
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) {
            throw new IndexOutOfBoundsException("MARK where a value was expected");
        }
        return o;
    }

    private Object peek() {
        return stack.get(stack.size() - 1);
    }

    private String string(int length) {
        byte[] b = bytes(length);
        return new String(b, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int length) {
        if (length < 0 || length > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder s = new StringBuilder();
        for (byte b = in.get(); b != '\n'; b = in.get()) {
            s.append((char) b);
        }
        return s.toString();
    }

    private long long1(int n) {
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) {
            v -= 1L << (8 * n); // two's complement, little-endian
        }
        return v;
    }

    static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.toString() : o.getClass().getSimpleName();
    }

    private InvalidWeightsException bad(String what, int at) {
        return new InvalidWeightsException(source + ": " + what + " (at byte " + at + " of data.pkl)");
    }
}
