package dev.javaformers.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import dev.javaformers.util.AtomicFiles;
import dev.javaformers.util.PyJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a dataset as {@code datasets}' {@code to_csv} and {@code to_json} do: a header and one line per row, or
 * one JSON object per line (or a JSON array). Token sequences go as JSON arrays, which the readers take back as
 * sequences (JSON) or text (CSV). Each file is written atomically.
 */
final class DatasetWriter {

    private DatasetWriter() {}

    static Path csv(Dataset dataset, Path file, char delimiter) {
        List<String> names = dataset.columnNames();
        AtomicFiles.write(file, out -> {
            CsvWriterSettings settings = new CsvWriterSettings();
            settings.getFormat().setDelimiter(delimiter);
            settings.getFormat().setLineSeparator("\n");
            settings.setQuoteEscapingEnabled(true);
            Writer writer = new OutputStreamWriter(nonClosing(out), StandardCharsets.UTF_8);
            CsvWriter csv = new CsvWriter(writer, settings);
            csv.writeHeaders(names);
            for (Map<String, Object> row : dataset) {
                Object[] cells = new Object[names.size()];
                for (int i = 0; i < cells.length; i++) {
                    Object v = row.get(names.get(i));
                    cells[i] = Columns.isSequence(v) ? PyJson.MAPPER.writeValueAsString(Columns.toLongs(v)) : v;
                }
                csv.writeRow(cells);
            }
            csv.close();
        });
        return file;
    }

    static Path json(Dataset dataset, Path file, boolean lines) {
        AtomicFiles.write(file, out -> {
            try (JsonGenerator json = PyJson.MAPPER.getFactory().createGenerator(nonClosing(out))) {
                json.setRootValueSeparator(null);
                if (!lines) {
                    json.writeStartArray();
                }
                for (Map<String, Object> row : dataset) {
                    json.writeStartObject();
                    for (Map.Entry<String, Object> e : row.entrySet()) {
                        Object v = e.getValue();
                        json.writeFieldName(e.getKey());
                        if (Columns.isSequence(v)) {
                            long[] ids = Columns.toLongs(v);
                            json.writeArray(ids, 0, ids.length);
                        } else if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
                            json.writeObject(v);
                        } else {
                            json.writeString(v.toString()); // dates and times, as their ISO text
                        }
                    }
                    json.writeEndObject();
                    if (lines) {
                        json.writeRaw('\n');
                    }
                }
                if (!lines) {
                    json.writeEndArray();
                    json.writeRaw('\n');
                }
            }
        });
        return file;
    }

    /** The atomic writer closes its own stream; the CSV and JSON writers must not close it first. */
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
