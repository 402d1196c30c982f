package dev.javaformers.kernel;

import dev.javaformers.data.Dataset;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Parameter;
import dev.javaformers.tokenize.BatchEncoding;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.tablesaw.api.Table;

/** HTML views of Javaformers objects for notebooks: tables with their shapes, model summaries, token tables. */
final class Html {

    private Html() {}

    static String escape(Object value) {
        return String.valueOf(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The first {@code rows} rows, with the table's name and shape. */
    static String table(Table table, int rows) {
        return table(table, rows, "<b>" + escape(table.name()) + "</b> (" + table.rowCount() + " rows &times; "
                + table.columnCount() + " columns)");
    }

    private static String table(Table table, int rows, String caption) {
        StringBuilder html = new StringBuilder("<div>").append(caption).append("<table><thead><tr>");
        table.columnNames().forEach(n -> html.append("<th>").append(escape(n)).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (int r = 0; r < Math.min(rows, table.rowCount()); r++) {
            html.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                html.append("<td>").append(escape(table.getString(r, c))).append("</td>");
            }
            html.append("</tr>");
        }
        if (table.rowCount() > rows) {
            html.append("<tr><td colspan=\"").append(table.columnCount()).append("\">&hellip;</td></tr>");
        }
        return html.append("</tbody></table></div>").toString();
    }

    /** A dataset's preview: its raw columns and token columns side by side. */
    static String dataset(Dataset data, int rows) {
        return table(data.preview(rows), rows, "<b>Dataset</b> (" + data.numRows() + " rows &times; "
                + data.columnNames().size() + " columns: " + escape(String.join(", ", data.columnNames()))
                + (data.numRows() > rows ? "; the first " + rows + " shown" : "") + ")");
    }

    /** Architecture, parameters per top-level block, dtype and device. */
    static String model(PreTrainedModel<?> model) {
        Map<String, Long> blocks = new LinkedHashMap<>();
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        String dtype = "";
        String device = "";
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (seen.put(e.getValue(), true) != null) {
                continue; // tied weights count once
            }
            String[] parts = e.getKey().split("\\.");
            String block = parts.length > 2 ? parts[0] + "." + parts[1] : parts[0];
            blocks.merge(block, e.getValue().array().size(), Long::sum);
            dtype = e.getValue().array().getDataType().toString();
            device = e.getValue().array().getDevice().toString();
        }
        StringBuilder html = new StringBuilder("<div><b>").append(escape(model.getClass().getSimpleName()))
                .append("</b> (model_type ").append(escape(model.config().getModelType())).append(", ")
                .append(String.format("%,d", model.numParameters())).append(" parameters, ").append(escape(dtype))
                .append(", ").append(escape(device)).append(")<table><thead><tr><th>block</th><th>parameters</th>"
                        + "</tr></thead><tbody>");
        blocks.forEach((name, count) -> html.append("<tr><td>").append(escape(name)).append("</td><td>")
                .append(String.format("%,d", count)).append("</td></tr>"));
        return html.append("</tbody></table></div>").toString();
    }

    /** One table per row of the batch: each token with its id and attention mask. */
    static String encoding(BatchEncoding enc) {
        long[][] ids = enc.inputIds();
        long[][] mask = enc.attentionMask();
        StringBuilder html = new StringBuilder("<div><b>BatchEncoding</b> (").append(enc.numRows())
                .append(" rows; ").append(escape(enc.keySet())).append(")");
        for (int row = 0; row < enc.numRows(); row++) {
            String[] tokens = enc.tokens(row);
            html.append("<table><tr><th>token</th>");
            for (String t : tokens) {
                html.append("<td>").append(escape(t)).append("</td>");
            }
            html.append("</tr><tr><th>input_ids</th>");
            for (long id : ids[row]) {
                html.append("<td>").append(id).append("</td>");
            }
            if (mask != null) {
                html.append("</tr><tr><th>attention_mask</th>");
                for (long m : mask[row]) {
                    html.append("<td>").append(m).append("</td>");
                }
            }
            html.append("</tr></table>");
        }
        return html.append("</div>").toString();
    }
}
