// Package proc asks the system about processes: whether the process that left a temporary
// folder named by its id (an excelize read, a backup) is gone, so that the folder may go too.
package proc
