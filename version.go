package jifen

// Version is jifen's version: shown by jifen --version and written into every backup's
// manifest (store.Backup).
const Version = "0.1.0"
