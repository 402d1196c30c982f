package dev.javaformers.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads {@code pytorch_model.bin} as written by {@code torch.save} (PyTorch 1.6 and later): a zip holding
 * {@code data.pkl}, a pickle of the state dict, and {@code data/<key>}, the raw bytes of each storage. The pickle
 * is read by {@link Unpickler}, which knows only the globals a state dict uses and runs nothing.
 */
public final class TorchCheckpoint {

    private TorchCheckpoint() {}

    public static StateDict read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> new InvalidWeightsException(file + " is a zip file without data.pkl, so it "
                            + "is not a torch.save checkpoint"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            Map<String, byte[]> storages = new HashMap<>();
            Unpickler.StorageLoader loader = key -> storages.computeIfAbsent(key, k -> readEntry(zip, file,
                    prefix + "data/" + k));
            Object root = new Unpickler(zip.getInputStream(pickle).readAllBytes(), file.toString(), loader).load();
            return toStateDict(root, file);
        } catch (java.io.EOFException e) {
            throw new InvalidWeightsException(file + " is cut short: an entry of the archive runs past its end", e);
        } catch (java.util.zip.ZipException e) {
            throw new InvalidWeightsException(file + " is not a torch.save zip archive (" + e.getMessage() + "); "
                    + "checkpoints saved before PyTorch 1.6 must be re-saved, or converted to safetensors", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readEntry(ZipFile zip, Path file, String name) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new InvalidWeightsException(file + " refers to storage " + name + ", which the archive lacks");
        }
        try {
            return zip.getInputStream(entry).readAllBytes();
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new InvalidWeightsException(file + ": the archive's entry " + name + " is damaged (" + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + name + " in " + file, e);
        }
    }

    private static StateDict toStateDict(Object root, Path file) {
        if (root instanceof Map<?, ?> map && map.containsKey("state_dict") && map.get("state_dict") instanceof Map) {
            root = map.get("state_dict");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidWeightsException(file + " holds a pickled " + Unpickler.describe(root)
                    + ", not a state dict (a mapping of names to tensors)");
        }
        StateDict dict = new StateDict();
        map.forEach((k, v) -> {
            if (v instanceof HostTensor t) {
                dict.put(String.valueOf(k), t);
            }
        });
        return dict;
    }

    /** A tensor view of a storage: offset and strides in elements, as {@code _rebuild_tensor_v2} gets them. */
    static HostTensor rebuild(Unpickler.Storage storage, long offset, long[] size, long[] stride, String source) {
        DType dtype = storage.dtype();
        int elem = dtype.bytes();
        long numel = HostTensor.numel(size);
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] > 0) {
                last += (size[i] - 1) * stride[i];
            }
        }
        if (offset < 0 || (numel > 0 && (last + 1) * elem > storage.bytes().length)) {
            throw new InvalidWeightsException(source + ": a tensor of shape " + java.util.Arrays.toString(size)
                    + " at offset " + offset + " runs past its storage of " + storage.bytes().length / elem
                    + " elements");
        }
        ByteBuffer src = ByteBuffer.wrap(storage.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (isContiguous(size, stride)) {
            return new HostTensor(dtype, size, src.slice((int) (offset * elem), (int) (numel * elem)));
        }
        ByteBuffer out = ByteBuffer.allocate((int) (numel * elem)).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[size.length];
        for (long n = 0; n < numel; n++) {
            long at = offset;
            for (int d = 0; d < size.length; d++) {
                at += index[d] * stride[d];
            }
            out.put(storage.bytes(), (int) (at * elem), elem);
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return new HostTensor(dtype, size, out.flip());
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    static Map<Object, Object> newDict() {
        return new LinkedHashMap<>();
    }
}
