from benchmarks.network.run import main

main()
