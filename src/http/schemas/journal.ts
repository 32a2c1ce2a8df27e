/** (being written) */
export {}
