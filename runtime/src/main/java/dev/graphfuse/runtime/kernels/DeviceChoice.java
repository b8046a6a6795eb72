package dev.graphfuse.runtime.kernels;

/** --device: auto (CUDA when a device is there, else the CPU, logged), cuda (an error without one), cpu. */
public enum DeviceChoice {
    AUTO, CUDA, CPU;

    public static DeviceChoice parse(String s) {
        for (DeviceChoice d : values()) {
            if (d.name().equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException("--device: expected auto, cuda or cpu, got '" + s + "'");
    }
}
