from caldron.main import main

main()
