package kili

// LiveEventHandles exposes the number of event handlers the library still holds, so that
// the external tests can observe that cleanups released them.
func LiveEventHandles() int64 { return liveEventHandles.Load() }
