module github.com/kili-technology/kili-native/bench/clients/go

go 1.24

require github.com/kili-technology/kili-native/bindings/go v0.0.0

replace github.com/kili-technology/kili-native/bindings/go => ../../../bindings/go
