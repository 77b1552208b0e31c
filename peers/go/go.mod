module ptcbench/peers/go

go 1.19
