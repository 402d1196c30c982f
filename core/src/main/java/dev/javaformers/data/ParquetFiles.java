package dev.javaformers.data;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parquet data files (the format the Hub converts every dataset to), read with DuckDB's embedded engine: it is
 * maintained, comes as one jar without Hadoop, and handles every codec (snappy, zstd, gzip, ...) and encoding the
 * writers use. Nothing is fetched: extension auto-loading is switched off.
 */
final class ParquetFiles {

    private ParquetFiles() {}

    static Dataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No such data file: " + file.toAbsolutePath());
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET autoinstall_known_extensions = false");
            statement.execute("SET autoload_known_extensions = false");
            String path = file.toAbsolutePath().toString().replace("'", "''");
            try (ResultSet rs = statement.executeQuery("SELECT * FROM read_parquet('" + path + "')")) {
                ResultSetMetaData meta = rs.getMetaData();
                Map<String, List<Object>> columns = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    columns.put(meta.getColumnName(c), new ArrayList<>());
                }
                List<List<Object>> lists = new ArrayList<>(columns.values());
                while (rs.next()) {
                    for (int c = 0; c < lists.size(); c++) {
                        lists.get(c).add(value(rs.getObject(c + 1)));
                    }
                }
                return Columns.dataset(file.getFileName().toString(), columns);
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(file + " is not a readable Parquet file: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Array array) {
            return Arrays.asList((Object[]) array.getArray());
        }
        return v;
    }
}
