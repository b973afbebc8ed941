package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/conformhq/conform/load"
)

// writePlot writes rep's plot to path (nothing when path is empty). rep has been masked
// (load.Run redacts it; merged files carry no config secrets), and the plot holds only its
// numbers, names and title.
func writePlot(path string, rep *load.Report, title string) error {
	if path == "" {
		return nil
	}
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	if err := errors.Join(rep.WritePlot(fh, title), fh.Close()); err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	return nil
}
