/* placeholder: to be written */
typedef int tb_placeholder_peer;
