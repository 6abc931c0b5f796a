module github.com/kili-technology/kili-native/bindings/go

go 1.24
