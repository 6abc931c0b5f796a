package kili

// The C side of event installation lives apart from events.go because a file with
// //export may only declare, not define, C functions in its preamble. The uintptr ->
// void* conversion of the cgo.Handle happens here in C, so Go never forges a pointer.

/*
#include <stdint.h>
#include "kili.h"

extern void kiliGoEventCall(void *user_data, char *event_json, size_t len);
extern void kiliGoEventDrop(void *user_data);

static void kili_go_event_call(void *user_data, const char *event_json, size_t len) {
	kiliGoEventCall(user_data, (char *)event_json, len);
}

static kili_status_t kili_go_set_event_callback(const kili_client_t *client, uintptr_t handle, kili_error_t **err) {
	kili_event_callback_t cb;
	cb.user_data = (void *)handle;
	cb.call = kili_go_event_call;
	cb.drop = kiliGoEventDrop;
	return kili_client_set_event_callback(client, &cb, err);
}
*/
import "C"

import "runtime/cgo"

// setEventHandler installs h as the client's event callback. On failure the handle is
// deleted here, since the library did not take it.
func setEventHandler(client *C.kili_client_t, h func(Event)) error {
	handle := cgo.NewHandle(h)
	liveEventHandles.Add(1)
	var cerr *C.kili_error_t
	if st := C.kili_go_set_event_callback(client, C.uintptr_t(handle), &cerr); st != C.KILI_OK {
		handle.Delete()
		liveEventHandles.Add(-1)
		return takeError(st, cerr, nil)
	}
	return nil
}
