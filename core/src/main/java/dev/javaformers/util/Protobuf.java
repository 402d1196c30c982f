package dev.javaformers.util;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the protobuf wire format to walk an ONNX model or a SentencePiece model: each message is a list of
 * fields, each with its number and either a varint, a fixed-width value or a length-delimited slice (a nested
 * message, string or packed array). Slices share the file's buffer, so a large model is not copied.
 */
public final class Protobuf {

    private Protobuf() {}

    /** Bytes that are not a well-formed protobuf message; the message names the file. */
    public static final class MalformedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /** One field; {@code bytes} is set for length-delimited fields, {@code value} otherwise. */
    public record Field(int number, long value, ByteBuffer bytes) {
        public String string() {
            if (bytes == null) {
                throw new MalformedException("field " + number + " is a number where text was expected");
            }
            byte[] b = new byte[bytes.remaining()];
            bytes.duplicate().get(b);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }

        public List<Field> message(String what) {
            if (bytes == null) {
                throw new MalformedException(what + ": field " + number + " is a number where a message was expected");
            }
            return parse(bytes, what);
        }
    }

    public static List<Field> parse(ByteBuffer message, String what) {
        ByteBuffer in = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = new ArrayList<>();
        try {
            while (in.hasRemaining()) {
                long key = varint(in);
                int number = (int) (key >>> 3);
                switch ((int) (key & 7)) {
                    case 0 -> fields.add(new Field(number, varint(in), null));
                    case 1 -> fields.add(new Field(number, in.getLong(), null));
                    case 5 -> fields.add(new Field(number, in.getInt(), null));
                    case 2 -> {
                        long length = varint(in);
                        if (length < 0 || length > in.remaining()) {
                            throw new MalformedException(what + ": a field of " + length + " bytes runs past "
                                    + "the end of its message (truncated file?)");
                        }
                        ByteBuffer slice = in.slice(in.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
                        in.position(in.position() + (int) length);
                        fields.add(new Field(number, 0, slice));
                    }
                    default -> throw new MalformedException(what + ": wire type " + (key & 7)
                            + " is not protobuf");
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new MalformedException(what + ": the protobuf data ends in the middle of a field");
        }
        return fields;
    }

    public static long varint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new MalformedException("the protobuf data ends in the middle of a number");
            }
            byte b = in.get();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedException("a protobuf varint is longer than 10 bytes");
    }

    /** Values of a repeated int64 field, packed or not. */
    public static long[] longs(List<Field> fields, int number) {
        List<Long> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.number() != number) {
                continue;
            }
            if (f.bytes() == null) {
                out.add(f.value());
            } else {
                ByteBuffer b = f.bytes().duplicate();
                while (b.hasRemaining()) {
                    out.add(varint(b));
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The first value of a scalar field, or {@code missing} when the message does not set it. */
    public static long first(List<Field> fields, int number, long missing) {
        return fields.stream().filter(f -> f.number() == number && f.bytes() == null).mapToLong(Field::value)
                .findFirst().orElse(missing);
    }

    /** The first length-delimited field with this number, or null. */
    public static ByteBuffer firstBytes(List<Field> fields, int number) {
        return fields.stream().filter(f -> f.number() == number && f.bytes() != null).map(Field::bytes).findFirst()
                .orElse(null);
    }
}
