package dev.javaformers.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PyJsonTest {

    /** Expected strings are what CPython 3 prints for repr(float) and json.dumps. */
    @Test
    void floatsAsPythonReprs() {
        assertEquals("0.1", PyJson.pythonFloat(0.1));
        assertEquals("1.0", PyJson.pythonFloat(1.0));
        assertEquals("1e-12", PyJson.pythonFloat(1e-12));
        assertEquals("1e-05", PyJson.pythonFloat(1e-5));
        assertEquals("0.0001", PyJson.pythonFloat(1e-4));
        assertEquals("5e-05", PyJson.pythonFloat(5e-5));
        assertEquals("2.5e-07", PyJson.pythonFloat(2.5e-7));
        assertEquals("1e+16", PyJson.pythonFloat(1e16));
        assertEquals("1000000000000000.0", PyJson.pythonFloat(1e15));
        assertEquals("-0.02", PyJson.pythonFloat(-0.02));
        assertEquals("123.456", PyJson.pythonFloat(123.456));
        assertEquals("0.0", PyJson.pythonFloat(0.0));
    }

    @Test
    void stringsEscapedAsEnsureAscii() {
        assertEquals("\"caf\\u00e9 \\\"x\\\"\\n\"", PyJson.quote("café \"x\"\n"));
    }
}
